# The root's delegate item with the H flag takes from the kernel's own spaces (all memory and
# ports); D and G enter memory in the DMA and guest views too. Another PD's H is ignored.
create_pd $other owner=$root_pd crd=null                -> SUCCESS
ec $srv owner=$other window=mem:0x40/4
portal $pt ec=$srv {
    lookup crd=mem:0x40/0                               -> SUCCESS crd=mem:0x40/2:rw
}
call $pt items=delegate(mem:0x200/2:rw,kernel,dma,guest) -> SUCCESS
ec $back owner=$other window=pio:0x60/2
portal $ports ec=$back {
    lookup crd=pio:0x60/0                               -> SUCCESS crd=pio:0x60/1:a
}
call $ports items=delegate(pio:0x60/1,kernel)           -> SUCCESS
