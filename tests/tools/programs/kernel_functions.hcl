# delegate and translate call the kernel's delegation engine and translate directly, between PDs
# named by selectors in the root PD's object space. A selector that names no PD gets BAD_CAP, a
# status of the tool's own (the kernel functions take PDs, not selectors); nothing is delegated.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:5/0           -> SUCCESS crd=obj:5/0
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x3

delegate src=32 dst=70 send=obj:70/0 window=obj:6/0           -> BAD_CAP  # a semaphore
delegate src=33 dst=64 send=obj:70/0 window=obj:6/0           -> BAD_CAP  # the root EC
delegate src=32 dst=34 send=obj:70/0 window=obj:6/0           -> BAD_CAP  # the root SC
delegate src=99 dst=64 send=obj:70/0 window=obj:6/0           -> BAD_CAP  # nothing
translate src=64 dst=99 crd=obj:5/0 window=obj:0/26           -> BAD_CAP
translate src=70 dst=32 crd=obj:5/0 window=obj:0/26           -> BAD_CAP
translate src=64 dst=32 crd=obj:6/0 window=obj:0/26           -> SUCCESS crd=null

# A PD capability the root delegated to itself names the same PD.
delegate src=32 dst=32 send=obj:64/0 window=obj:100/0         -> SUCCESS crd=obj:100/0
translate src=100 dst=32 crd=obj:5/0 window=obj:0/26          -> SUCCESS crd=obj:70/0:0x3
