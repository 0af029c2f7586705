# Four threads on four CPUs create, delegate and revoke at the same time as the root; each
# waits for the root's semaphore first, so their work overlaps the root's.
create_sm $go owner=$root_pd                            -> SUCCESS
thread $a cpu=0 prio=2 {
    sm_down $go                                         -> SUCCESS
    create_sm $sa owner=$root_pd                        -> SUCCESS
    revoke crd=obj:$sa/0 self                           -> SUCCESS
}
thread $b cpu=1 {
    sm_down $go                                         -> SUCCESS
    create_pd $pb owner=$root_pd crd=obj:$go/0          -> SUCCESS
}
thread $c cpu=2 {
    sm_down $go                                         -> SUCCESS
    lookup crd=obj:$go/0                                -> SUCCESS crd=obj:$go/0:0x3
}
thread $d cpu=3 prio=3 {
    sm_down $go deadline=+10000000                      -> SUCCESS
    sc_ctrl $d.sc                                       -> SUCCESS
}
sm_up $go                                               -> SUCCESS
sm_up $go                                               -> SUCCESS
sm_up $go                                               -> SUCCESS
sm_up $go                                               -> SUCCESS
create_sm $late owner=$root_pd                          -> SUCCESS
