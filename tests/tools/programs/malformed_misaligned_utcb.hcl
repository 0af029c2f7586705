# A UTCB address shares RDX with the CPU number, so it must be page aligned.
create_ec 64 owner=32 utcb=0x1800 cpu=1
