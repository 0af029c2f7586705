# A handler blocks on a semaphore while serving a thread; a nonblocking call to its busy portal
# from another thread times out, and the thread's blocking call helps once it is free.
create_sm $gate owner=$root_pd                          -> SUCCESS
ec $srv cpu=0
portal $pt ec=$srv {
    sm_down $gate                                       -> SUCCESS
    reply words=9
}
thread $first cpu=0 prio=2 {
    call $pt                                            -> SUCCESS words=9
}
thread $second cpu=0 prio=1 {
    call $pt nonblocking                                -> TIMEOUT
    sm_up $gate                                         -> SUCCESS
}
