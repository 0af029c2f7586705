# With VMX (novasim hypercalls --vmx) an EC without a UTCB is a vCPU; as [C14] decides, it takes
# an SC only when it was created global.
create_pd 64 owner=32 crd=null                   -> SUCCESS
create_ec 65 owner=64 utcb=0x0 evt=0x100 global  -> SUCCESS
create_sc 66 owner=64 ec=65 prio=1 quantum=10000 -> SUCCESS
create_ec 67 owner=64 utcb=0x0                   -> SUCCESS
create_sc 68 owner=64 ec=67 prio=1 quantum=10000 -> BAD_CAP
lookup crd=obj:65/0                              -> SUCCESS crd=obj:65/0:0xd
