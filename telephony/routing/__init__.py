"""Legacy hotline numbers and the harassment block list, kept in the database and AstDB."""
