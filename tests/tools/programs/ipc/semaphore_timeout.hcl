# A semaphore down with a deadline times out when nobody signals; with a count it succeeds.
create_sm $empty owner=$root_pd                         -> SUCCESS
create_sm $full owner=$root_pd count=1                  -> SUCCESS
sm_down $empty deadline=+5000                           -> TIMEOUT
sm_down $full deadline=+5000                            -> SUCCESS
thread $t cpu=1 prio=1 {
    sm_down $empty deadline=+20000                      -> TIMEOUT
    sm_up $full                                         -> SUCCESS
}
