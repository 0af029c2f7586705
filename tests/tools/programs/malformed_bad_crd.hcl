# A memory CRD with a permission letter that does not exist.
create_pd 64 owner=32 crd=null
revoke crd=mem:0x100/2:rwz self
