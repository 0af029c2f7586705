# A translate item names the sender's capability in the receiver's space: the handler's
# translation window (ec xlt=) must contain an ancestor of it. The item's result is written
# back into the handler's UTCB, where the model compares it.
create_pd $other owner=$root_pd crd=null                -> SUCCESS
create_sm $s owner=$root_pd                             -> SUCCESS
slot $copy
ec $srv owner=$root_pd xlt=obj:0/26
portal $pt ec=$srv {
    lookup crd=obj:$copy/0                              -> SUCCESS crd=obj:$copy/0:0x2
}
delegate src=$root_pd dst=$root_pd send=obj:$s/0:0x2 window=obj:$copy/0 -> SUCCESS crd=obj:$copy/0:0x2
call $pt items=translate(obj:$copy/0),translate(obj:12345/0) -> SUCCESS
