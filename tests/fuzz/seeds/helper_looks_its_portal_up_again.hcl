# A caller that finds the handler busy helps it ([C14] §4.5) and holds nothing while it helps:
# when the handler is free it looks its portal up again, as the helper in [C14] re-executes its
# hypercall. Here the portal is revoked while $second helps, so its call ends in BAD_CAP; the
# call of $first, which the handler serves, succeeds.
create_sm $gate owner=$root_pd                          -> SUCCESS
ec $srv owner=$root_pd                                  -> SUCCESS
portal $pt ec=$srv {
    sm_down $gate                                       -> SUCCESS
}
thread $first prio=3 {
    call $pt                                            -> SUCCESS
}
thread $second prio=3 {
    call $pt                                            -> BAD_CAP
}
revoke crd=obj:$pt/0 self                               -> SUCCESS
sm_up $gate                                             -> SUCCESS
