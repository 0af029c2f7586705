# A call to a portal whose handler EC sits on another CPU fails with BAD_CPU.
ec $srv cpu=1
portal $pt ec=$srv {
    reply words=1
}
call $pt words=5                                        -> BAD_CPU
thread $t cpu=1 prio=1 {
    call $pt words=5                                    -> SUCCESS words=1
}
