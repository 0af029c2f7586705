# Run with --cpus 2: ECs can live on CPUs 0 and 1 only.
create_ec 64 owner=32 utcb=0x1000 cpu=1 global   -> SUCCESS
create_sc 65 owner=32 ec=64 prio=1 quantum=10000 -> SUCCESS
create_ec 66 owner=32 utcb=0x2000 cpu=2 global   -> BAD_CPU
