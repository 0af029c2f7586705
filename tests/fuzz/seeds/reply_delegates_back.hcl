# A reply's delegate item lands in the caller's receive window (call window=), with the rights
# the handler's capability holds masked by the item's; the model follows both directions.
create_pd $other owner=$root_pd crd=null                -> SUCCESS
slot $inbox
slot $back
create_sm $s owner=$root_pd                             -> SUCCESS
ec $srv owner=$other window=obj:$inbox/0
portal $pt ec=$srv {
    reply items=delegate(obj:$inbox/0:0x1)
}
call $pt window=obj:$back/0 items=delegate(obj:$s/0)    -> SUCCESS
lookup crd=obj:$back/0                                  -> SUCCESS crd=obj:$back/0:0x1
revoke crd=obj:$s/0                                     -> SUCCESS   # the copies go, not the original
lookup crd=obj:$back/0                                  -> SUCCESS crd=null
lookup crd=obj:$s/0                                     -> SUCCESS crd=obj:$s/0:0x3
