# A portal needs an entry IP.
create_ec 64 owner=32 utcb=0x1000
create_sm 66 owner=32

# the next line forgets ip=
create_pt 65 owner=32 ec=64
