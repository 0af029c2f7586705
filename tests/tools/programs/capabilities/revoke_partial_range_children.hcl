# Rule: revoking part of a mapping touches only the children that map that part; the revoker's
# own mapping, and children of other parts, stay as they are ([C14] §3.5).
# Mirrors Revoke_rules.RevokingPartOfAMappingTouchesOnlyChildrenThatMapThatPart (tests/kernel).
#
# The root (32) takes pages 0x100..0x10f from the kernel and hands 0x100..0x103 to PD A (64) and
# 0x108..0x10b to PD B (65), both at their pages 0x10..0x13.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
delegate src=32 dst=32 send=mem:0x100/4 window=mem:0x100/4 kernel -> SUCCESS crd=mem:0x100/4
delegate src=32 dst=64 send=mem:0x100/2 window=mem:0x10/2     -> SUCCESS crd=mem:0x10/2
delegate src=32 dst=65 send=mem:0x108/2 window=mem:0x10/2     -> SUCCESS crd=mem:0x10/2

revoke crd=mem:0x108/2                                        -> SUCCESS
translate src=64 dst=32 crd=mem:0x10/2 window=mem:0x0/31      -> SUCCESS crd=mem:0x100/2:rwx
translate src=65 dst=32 crd=mem:0x10/2 window=mem:0x0/31      -> SUCCESS crd=null
lookup crd=mem:0x100/0                                        -> SUCCESS crd=mem:0x100/4:rwx

# The same within the root's object space: revoking selector 81 of 80..83 leaves 80, 82 and 83.
create_sm 80 owner=32                                         -> SUCCESS
create_sm 81 owner=32                                         -> SUCCESS
create_sm 82 owner=32                                         -> SUCCESS
create_sm 83 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:80/2 window=obj:0/2           -> SUCCESS crd=obj:0/2
revoke crd=obj:81/0                                           -> SUCCESS
translate src=64 dst=32 crd=obj:0/0 window=obj:0/26           -> SUCCESS crd=obj:80/0:0x3
translate src=64 dst=32 crd=obj:1/0 window=obj:0/26           -> SUCCESS crd=null
translate src=64 dst=32 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=obj:82/0:0x3
