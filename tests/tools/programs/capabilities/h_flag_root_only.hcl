# Rule: the H flag takes the source from the kernel's own spaces, and only when the root PD sends
# ([C14] §3.4, flag bit 11). For any other PD it is ignored: that PD sends from its own spaces.
# Mirrors Delegation_rules.TheHFlagTakesFromTheKernelForTheRootOnly (tests/kernel).
#
# Root PD 32, PD A 64. At boot neither holds memory; lookup shows the root's memory space.
create_pd 64 owner=32 crd=null                                -> SUCCESS
lookup crd=mem:0x200/0                                        -> SUCCESS crd=null

# Without H the root sends from its own, empty, memory space: nothing arrives.
delegate src=32 dst=32 send=mem:0x200/2 window=mem:0x200/2    -> SUCCESS crd=mem:0x200/2
lookup crd=mem:0x203/0                                        -> SUCCESS crd=null

# With H it takes the pages from the kernel (read, write, execute).
delegate src=32 dst=32 send=mem:0x200/2 window=mem:0x200/2 kernel -> SUCCESS crd=mem:0x200/2
lookup crd=mem:0x203/0                                        -> SUCCESS crd=mem:0x200/2:rwx

# A sending with H sends from its own, empty, memory space: the root receives nothing.
delegate src=64 dst=32 send=mem:0x300/2 window=mem:0x300/2 kernel -> SUCCESS crd=mem:0x300/2
lookup crd=mem:0x300/0                                        -> SUCCESS crd=null

# And A to itself, as in the GoogleTest case; A's pages then go to the root, which shows none.
delegate src=64 dst=64 send=mem:0x300/2 window=mem:0x300/2 kernel -> SUCCESS crd=mem:0x300/2
delegate src=64 dst=32 send=mem:0x300/2 window=mem:0x300/2    -> SUCCESS crd=mem:0x300/2
lookup crd=mem:0x300/0                                        -> SUCCESS crd=null
