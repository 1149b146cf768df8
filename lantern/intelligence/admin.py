# Intelligence is reached only through Lantern's own pages, which check access and audit every
# read (docs/decisions/0003-access-deny-by-default.md): nothing is registered in Django admin.
