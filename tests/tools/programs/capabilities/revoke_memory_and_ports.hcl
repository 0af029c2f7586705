# Rule: revoke works the same in the memory and port spaces as in the object space: the CRD's
# rights go from every derived mapping, across PDs, recursively ([C14] §3.5).
# Mirrors Revoke_rules.RevokeWorksOnMemoryAndPortsToo (tests/kernel).
#
# The root (32) takes pages 0x100..0x103 and ports 0x60..0x63 from the kernel. The pages go on to
# PD A (64) at 0x10 and from there to PD B (65) at 0x20; the ports go root -> A -> B unchanged.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
delegate src=32 dst=32 send=mem:0x100/2 window=mem:0x100/2 kernel -> SUCCESS crd=mem:0x100/2
delegate src=32 dst=32 send=pio:0x60/2 window=pio:0x60/2 kernel  -> SUCCESS crd=pio:0x60/2
delegate src=32 dst=64 send=mem:0x100/2 window=mem:0x10/2     -> SUCCESS crd=mem:0x10/2
delegate src=64 dst=65 send=mem:0x10/2 window=mem:0x20/2      -> SUCCESS crd=mem:0x20/2
delegate src=32 dst=64 send=pio:0x60/2 window=pio:0x60/2      -> SUCCESS crd=pio:0x60/2
delegate src=64 dst=65 send=pio:0x60/2 window=pio:0x60/2      -> SUCCESS crd=pio:0x60/2

# Write access goes from A's and B's pages; the root keeps read, write and execute.
revoke crd=mem:0x100/2:w                                      -> SUCCESS
translate src=65 dst=32 crd=mem:0x20/2 window=mem:0x0/31      -> SUCCESS crd=mem:0x100/2:rx
translate src=64 dst=32 crd=mem:0x10/2 window=mem:0x0/31      -> SUCCESS crd=mem:0x100/2:rx
lookup crd=mem:0x100/0                                        -> SUCCESS crd=mem:0x100/2:rwx

# The ports go from A and B altogether; the root keeps them.
revoke crd=pio:0x60/2                                         -> SUCCESS
translate src=64 dst=32 crd=pio:0x60/2 window=pio:0x0/16      -> SUCCESS crd=null
translate src=65 dst=32 crd=pio:0x60/2 window=pio:0x0/16      -> SUCCESS crd=null
lookup crd=pio:0x61/0                                         -> SUCCESS crd=pio:0x60/2:a
