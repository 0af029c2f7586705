# Recall of a thread blocked in a semaphore: ec_ctrl succeeds; released, the thread goes to its
# RECALL portal, which it does not have, and so never finishes its block.
create_sm $s owner=$root_pd                             -> SUCCESS
thread $t cpu=1 prio=1 {
    sm_down $s        # never returns: the recall sends it to its RECALL portal, which is missing
}
sm_down $s deadline=+100000                             -> TIMEOUT
ec_ctrl $t                                              -> SUCCESS
sc_ctrl $t.sc                                           -> SUCCESS
sm_up $s                                                -> SUCCESS
