# A tour of the kernel through its hypercalls, run as the root task:
#
#   novasim hypercalls tools/examples/kernel_demo.hcl
#
# Each line is one call, a hypercall (or at the end a kernel function): its name, the selector
# it creates or uses, its operands, and after `->` the status it must return (and outputs it
# must produce). novasim prints what each call did and exits 1 if any expectation is not met.
# The format is described in tools/README.md.
#
# At boot the root PD holds its own capability at selector 32, its EC at 33 and its SC at 34.

# A new protection domain, handed a copy of the root PD's capability (it lands at its selector 0).
create_pd 64 owner=32 crd=obj:32/0 -> SUCCESS

# A global EC with a UTCB page at 0x1000 in the new PD, and a scheduling context for it:
# priority 10, a quantum of 5 ms.
create_ec 65 owner=64 utcb=0x1000 sp=0x8000 global -> SUCCESS
create_sc 66 owner=64 ec=65 prio=10 quantum=5000   -> SUCCESS

# A local EC to serve a portal: it runs only when the portal is called, on the caller's SC.
create_ec 67 owner=64 utcb=0x2000 sp=0x9000 -> SUCCESS
create_pt 68 owner=64 ec=67 mtd=0x1 ip=0x401000 -> SUCCESS
pt_ctrl 68 pid=42 -> SUCCESS

# A semaphore with one token.
create_sm 69 owner=64 count=1 -> SUCCESS

# The new SC has not run yet; sc_ctrl reads the time it consumed, in µs.
sc_ctrl 66 -> SUCCESS time=0

# lookup shows what the root PD holds at a selector, and with which rights
# (EC: ct, bind-SC, bind-PT = 0xd; SC: ct = 0x1; PT: ct, call = 0x3).
lookup crd=obj:65/0 -> SUCCESS crd=obj:65/0:0xd
lookup crd=obj:66/0 -> SUCCESS crd=obj:66/0:0x1
lookup crd=obj:68/0 -> SUCCESS crd=obj:68/0:0x3
lookup crd=obj:70/0 -> SUCCESS crd=null

# The kernel refuses what the ABI forbids, each with its own status:
create_sm 69 owner=64 -> BAD_CAP                              # the selector is taken
create_sc 70 owner=64 ec=67 prio=1 quantum=5000 -> BAD_CAP    # a local EC takes no SC
create_pt 70 owner=64 ec=65 ip=0x401000 -> BAD_CAP            # a global EC takes no portal
create_sc 70 owner=64 ec=65 prio=0 quantum=5000 -> BAD_PAR    # priority 0
create_ec 70 owner=64 utcb=0x1000 global -> BAD_PAR           # that UTCB page is in use
create_ec 70 owner=64 utcb=0x3000 cpu=64 global -> BAD_CPU    # no such CPU
create_ec 70 owner=64 utcb=0x0 global -> BAD_FTR              # a vCPU needs --vmx
pt_ctrl 69 pid=1 -> BAD_CAP                                   # a semaphore is not a portal
raw rdi=0xf -> BAD_HYP                                        # no hypercall has number 15

# Capabilities move between PDs by delegation: the typed items of IPC. Until IPC exists, novasim
# calls the kernel's delegation engine directly. `delegate` names the source and destination
# PDs by the root's selectors (32 is the root itself), then the sender's CRD and the receiver's
# window; rights are what the source holds AND both masks. The semaphore (up|dn = 0x3) goes to
# the new PD's selector 5 with dn only; translate names it by the root's selector again.
delegate src=32 dst=64 send=obj:69/0:0x2 window=obj:5/0 -> SUCCESS crd=obj:5/0:0x2
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26 -> SUCCESS crd=obj:69/0:0x2

# Memory and ports come from the kernel's own spaces with `kernel` (the H flag, root only):
# four pages for the root, and the first two of them, read-only, for the new PD.
delegate src=32 dst=32 send=mem:0x100/2 window=mem:0x100/2 kernel -> SUCCESS crd=mem:0x100/2
delegate src=32 dst=64 send=mem:0x100/1:r window=mem:0x40/1 -> SUCCESS crd=mem:0x40/1:r
lookup crd=mem:0x102/0 -> SUCCESS crd=mem:0x100/2:rwx
translate src=64 dst=32 crd=mem:0x41/0 window=mem:0x0/31 -> SUCCESS crd=mem:0x101/0:r

# revoke takes rights back from every copy derived from the root's, in every PD; with `self`
# from the root's own copy too. A copy left without rights disappears.
revoke crd=obj:69/0:0x2 -> SUCCESS
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26 -> SUCCESS crd=null
lookup crd=obj:69/0 -> SUCCESS crd=obj:69/0:0x3
revoke crd=mem:0x100/2 self -> SUCCESS
lookup crd=mem:0x100/0 -> SUCCESS crd=null
translate src=64 dst=32 crd=mem:0x40/0 window=mem:0x0/31 -> SUCCESS crd=null
