# Rule: delegated memory is entered in the receiver's host page table when it lies below
# USER_ADDR, and also in its DMA view with D (`dma`) and in its guest view with G (`guest`);
# ports enter the guest view with G ([C14] §3.4, flag bits 9 and 10). Revoking the memory removes
# it from every view.
# Mirrors Delegation_rules.DAndGEnterTheDmaAndGuestViews, .GuestMemoryAboveUserAddrIsInTheGuest-
# ViewOnly, .PortsEnterTheGuestViewWithG and Revoke_rules.RevokingMemoryRemovesItsGuestAndDmaViews.
#
# No hypercall reads a view, so the views themselves are checked in tests/kernel. What a program
# sees is the mapping: D and G change neither the CRD the engine returns nor the one lookup
# shows, and a guest page above USER_ADDR (page 0x7ffffffff) is a mapping like any other.
# Root PD 32, which takes pages 0x100..0x103 and ports 0x60..0x63 from the kernel.
delegate src=32 dst=32 send=mem:0x100/2 window=mem:0x100/2 kernel -> SUCCESS crd=mem:0x100/2
delegate src=32 dst=32 send=pio:0x60/2 window=pio:0x60/2 kernel  -> SUCCESS crd=pio:0x60/2

# D, G, both, neither: four mappings of the same shape.
delegate src=32 dst=32 send=mem:0x100/0 window=mem:0x10/0 dma      -> SUCCESS crd=mem:0x10/0
delegate src=32 dst=32 send=mem:0x101/0 window=mem:0x11/0 guest    -> SUCCESS crd=mem:0x11/0
delegate src=32 dst=32 send=mem:0x102/0 window=mem:0x12/0 dma guest -> SUCCESS crd=mem:0x12/0
delegate src=32 dst=32 send=mem:0x103/0 window=mem:0x13/0          -> SUCCESS crd=mem:0x13/0
lookup crd=mem:0x10/0                                         -> SUCCESS crd=mem:0x10/0:rwx
lookup crd=mem:0x11/0                                         -> SUCCESS crd=mem:0x11/0:rwx
lookup crd=mem:0x12/0                                         -> SUCCESS crd=mem:0x12/0:rwx
lookup crd=mem:0x13/0                                         -> SUCCESS crd=mem:0x13/0:rwx

# Guest memory above USER_ADDR: in the guest view only, but in the memory space all the same.
delegate src=32 dst=32 send=mem:0x100/0 window=mem:0x7ffffffff/0 guest -> SUCCESS crd=mem:0x7ffffffff/0
lookup crd=mem:0x7ffffffff/0                                  -> SUCCESS crd=mem:0x7ffffffff/0:rwx

# Ports with G: identity as always (0x60 -> 0x60), into a PD of their own.
create_pd 64 owner=32 crd=null                                -> SUCCESS
delegate src=32 dst=64 send=pio:0x60/2 window=pio:0x60/2 guest -> SUCCESS crd=pio:0x60/2

# Revoking the pages takes every copy out of every view; the root keeps its own.
revoke crd=mem:0x100/2                                        -> SUCCESS
lookup crd=mem:0x10/0                                         -> SUCCESS crd=null
lookup crd=mem:0x12/0                                         -> SUCCESS crd=null
lookup crd=mem:0x7ffffffff/0                                  -> SUCCESS crd=null
lookup crd=mem:0x100/0                                        -> SUCCESS crd=mem:0x100/2:rwx
