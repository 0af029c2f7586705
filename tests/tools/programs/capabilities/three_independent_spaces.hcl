# Rule: a PD has three independent spaces, for objects, memory and I/O ports; the same number
# names different things in each, and revoking in one leaves the others alone ([C14] §1.1).
# Mirrors Delegation_rules.APdHasThreeIndependentSpaces (tests/kernel).
#
# The root (32) holds object selector 0x100, page 0x100 and port 0x100.
delegate src=32 dst=32 send=mem:0x100/0 window=mem:0x100/0 kernel -> SUCCESS crd=mem:0x100/0
delegate src=32 dst=32 send=pio:0x100/0 window=pio:0x100/0 kernel -> SUCCESS crd=pio:0x100/0
create_sm 0x100 owner=32                                      -> SUCCESS
lookup crd=obj:0x100/0                                        -> SUCCESS crd=obj:256/0:0x3
lookup crd=mem:0x100/0                                        -> SUCCESS crd=mem:0x100/0:rwx
lookup crd=pio:0x100/0                                        -> SUCCESS crd=pio:0x100/0:a

revoke crd=mem:0x100/0 self                                   -> SUCCESS
lookup crd=mem:0x100/0                                        -> SUCCESS crd=null
lookup crd=obj:256/0                                          -> SUCCESS crd=obj:256/0:0x3
lookup crd=pio:0x100/0                                        -> SUCCESS crd=pio:0x100/0:a
