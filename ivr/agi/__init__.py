"""FastAGI: the request's environment, the command channel, the server on panoramisk."""
