# Rule: lookup returns the full CRD of the mapping that contains the CRD's base, in the space of
# the CRD's type: its base, its order and its rights; a null CRD where there is no mapping. The
# order and rights of the CRD asked with do not matter ([C14] §3.5).
# Mirrors Revoke_rules.LookupReturnsTheFullCrdOfTheMappingInEverySpace (tests/kernel).
#
# The root (32) takes pages 0x100..0x10f and ports 0x3f8..0x3ff from the kernel.
delegate src=32 dst=32 send=mem:0x100/4 window=mem:0x100/4 kernel -> SUCCESS crd=mem:0x100/4
delegate src=32 dst=32 send=pio:0x3f8/3 window=pio:0x3f8/3 kernel -> SUCCESS crd=pio:0x3f8/3
create_sm 70 owner=32                                         -> SUCCESS

lookup crd=mem:0x10a/0                                        -> SUCCESS crd=mem:0x100/4:rwx
lookup crd=pio:0x3fb/0                                        -> SUCCESS crd=pio:0x3f8/3:a
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x3
lookup crd=mem:0x10a/3:r                                      -> SUCCESS crd=mem:0x100/4:rwx
lookup crd=pio:0x3f8/3:0x0                                    -> SUCCESS crd=pio:0x3f8/3:a

# Nothing there, in each space; and the null CRD names no space.
lookup crd=mem:0x110/0                                        -> SUCCESS crd=null
lookup crd=pio:0x3f7/0                                        -> SUCCESS crd=null
lookup crd=obj:71/0                                           -> SUCCESS crd=null
lookup crd=null                                               -> SUCCESS crd=null
