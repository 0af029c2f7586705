# Rule: port I/O is always delegated identically, port n to port n. The sender range and the
# receive window must overlap; what is delegated is their intersection ([C14] §3.4).
# Mirrors Delegation_rules.PortsAreAlwaysDelegatedIdentically (tests/kernel).
#
# PD R (66) takes ports 0x3f8..0x3ff from the kernel (the root's H flag) and hands them to PDs
# A (64) and B (65). The root PD (32) holds no ports, so it can look at what A and B hold: they
# delegate all their ports back into it, and lookup shows what arrived.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_pd 66 owner=32 crd=null                                -> SUCCESS
delegate src=32 dst=66 send=pio:0x3f8/3 window=pio:0x3f8/3 kernel -> SUCCESS crd=pio:0x3f8/3

# A window that does not overlap the range gets nothing.
delegate src=66 dst=64 send=pio:0x3f8/3 window=pio:0x2f8/3    -> SUCCESS crd=null

# A smaller window inside the range gets the intersection, 0x3fc..0x3ff.
delegate src=66 dst=64 send=pio:0x3f8/3 window=pio:0x3fc/2    -> SUCCESS crd=pio:0x3fc/2

# A larger window gets the sender's range at its own ports, whatever the hotspot says.
delegate src=66 dst=65 send=pio:0x3fa/0 window=pio:0x0/16 hotspot=0x10 -> SUCCESS crd=pio:0x3fa/0

# What A and B hold, seen from the root.
delegate src=64 dst=32 send=pio:0x0/16 window=pio:0x0/16      -> SUCCESS crd=pio:0x0/16
delegate src=65 dst=32 send=pio:0x0/16 window=pio:0x0/16      -> SUCCESS crd=pio:0x0/16
lookup crd=pio:0x3fd/0                                        -> SUCCESS crd=pio:0x3fc/2:a
lookup crd=pio:0x3fa/0                                        -> SUCCESS crd=pio:0x3fa/0:a
lookup crd=pio:0x3f8/0                                        -> SUCCESS crd=null  # not A's
lookup crd=pio:0x2f8/0                                        -> SUCCESS crd=null
lookup crd=pio:0x10/0                                         -> SUCCESS crd=null
