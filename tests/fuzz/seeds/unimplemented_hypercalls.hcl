# Hypercall numbers without a handler answer BAD_HYP, whatever their operands.
create_sm $s owner=$root_pd                             -> SUCCESS
assign_pci $root_pd dev=0x2000                          -> BAD_HYP
assign_gsi $s dev=0x3000 cpu=1                          -> BAD_HYP
raw rdi=0xf                                             -> BAD_HYP
raw rdi=0x40d rsi=0x2000                                -> BAD_HYP
