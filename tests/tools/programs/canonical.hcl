call 67
call 67 nonblocking -> TIMEOUT
reply
create_pd 64 owner=32 crd=obj:0/0
create_pd 32 owner=32 crd=obj:32/2:0x3 -> BAD_CAP
create_ec 65 owner=32 utcb=0x1000 cpu=3 sp=0x7000 evt=128 global -> SUCCESS
create_sc 66 owner=32 ec=65 prio=1 quantum=10000
create_pt 67 owner=32 ec=68 mtd=0xfffff ip=0x401000 -> SUCCESS
create_sm 69 owner=32 count=3
revoke crd=mem:0x100/2:rw self
revoke crd=pio:0x3f8/3:a
lookup crd=obj:64/0 -> SUCCESS crd=obj:64/0
ec_ctrl 65
sc_ctrl 66 -> SUCCESS time=0
pt_ctrl 67 pid=5
sm_ctrl 69 deadline=1000 down zero -> TIMEOUT
assign_pci 64 dev=0x2000 rid=0x100
assign_gsi 200 dev=0x3000 cpu=1 -> SUCCESS msi_addr=0xfee00000
raw rdi=0x2f rsi=0x1
delegate src=32 dst=64 send=obj:70/0:0x2 window=obj:16/4 hotspot=21 dma guest kernel -> SUCCESS crd=obj:21/0:0x2
translate src=65 dst=32 crd=obj:20/0 window=obj:0/26 -> SUCCESS crd=obj:70/0:0x3
