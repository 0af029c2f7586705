# Rule: through the H flag the kernel offers the root PD all memory, all I/O ports, the idle SC of
# every CPU (its object selectors 0 up) and the semaphore of every GSI (object selectors 64 up).
# Mirrors Delegation_rules.TheKernelOffersAllMemoryAllPortsIdleScsAndInterruptSemaphores (which
# boots the default 128 GSIs).
#
# Root PD 32 on 4 CPUs (novasim's default). lookup shows what arrived and with which rights.

# All 65536 ports, in one mapping.
delegate src=32 dst=32 send=pio:0x0/16 window=pio:0x0/16 kernel -> SUCCESS crd=pio:0x0/16
lookup crd=pio:0xffff/0                                       -> SUCCESS crd=pio:0x0/16:a

# Memory: the first 4096 pages (16 MiB) of RAM, in one mapping.
delegate src=32 dst=32 send=mem:0x0/12 window=mem:0x0/12 kernel -> SUCCESS crd=mem:0x0/12
lookup crd=mem:0xfff/0                                        -> SUCCESS crd=mem:0x0/12:rwx

# The idle SCs of CPUs 0..3 (SC capabilities: ct = 0x1), at the root's selectors 960..963.
# sc_ctrl takes only an SC, so it shows the type too. The kernel's selectors 4..63 are for
# CPUs this machine does not have.
delegate src=32 dst=32 send=obj:0/6 window=obj:960/6 kernel   -> SUCCESS crd=obj:960/6
lookup crd=obj:960/0                                          -> SUCCESS crd=obj:960/0:0x1
lookup crd=obj:963/0                                          -> SUCCESS crd=obj:963/0:0x1
sc_ctrl 963                                                   -> SUCCESS time=0
lookup crd=obj:964/0                                          -> SUCCESS crd=null

# The semaphores of GSIs 0..23 (up|dn = 0x3; novasim's machine has one I/O APIC, 24 pins) are
# the kernel's selectors 64..87: GSI g lands at 1088 + g. (A CRD's base is aligned down to its
# order, so obj:64/7 would mean the kernel's selectors 0..127.)
delegate src=32 dst=32 send=obj:64/6 window=obj:1088/6 kernel -> SUCCESS crd=obj:1088/6
lookup crd=obj:1088/0                                         -> SUCCESS crd=obj:1088/0:0x3
lookup crd=obj:1111/0                                         -> SUCCESS crd=obj:1111/0:0x3
sc_ctrl 1088                                                  -> BAD_CAP
lookup crd=obj:1112/0                                         -> SUCCESS crd=null

# Without H the root has none of these.
delegate src=32 dst=32 send=obj:0/6 window=obj:2048/6         -> SUCCESS crd=obj:2048/6
lookup crd=obj:2048/0                                         -> SUCCESS crd=null
