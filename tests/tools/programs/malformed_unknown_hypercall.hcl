# The parser stops at the first malformed line; nothing runs.
create_pd 64 owner=32 crd=null -> SUCCESS

create_thread 65 owner=64
