"""The call controller: follows every call and agent of one Asterisk over AMI."""
