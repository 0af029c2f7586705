# Helping: a thread calls a portal whose handler is busy serving another thread (blocked on a
# semaphore); the caller helps until the handler is free, then gets its own reply.
create_sm $gate owner=$root_pd                          -> SUCCESS
ec $srv cpu=0
portal $pt ec=$srv {
    sm_down $gate                                       -> SUCCESS
    reply words=1
}
thread $a cpu=0 prio=2 {
    call $pt                                            -> SUCCESS words=1
}
thread $b cpu=0 prio=1 {
    call $pt                                            -> SUCCESS words=1
}
sm_up $gate                                             -> SUCCESS
sm_up $gate                                             -> SUCCESS
