# A call with words and a delegate item: the handler sees the semaphore arrive in its window
# and replies two words.
slot $inbox
create_sm $s1 owner=$root_pd count=1                    -> SUCCESS
ec $srv cpu=0 window=obj:$inbox/0
portal $pt ec=$srv pid=7 {
    lookup crd=obj:$inbox/0                             -> SUCCESS crd=obj:$inbox/0:0x3
    reply words=42,43
}
call $pt words=1,2,3 items=delegate(obj:$s1/0:0x3)      -> SUCCESS words=42,43
call $pt                                                -> SUCCESS words=42,43
