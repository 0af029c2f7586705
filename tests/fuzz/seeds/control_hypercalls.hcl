# The hypercalls that change no capability check the capability they name, with its rights:
# ec_ctrl (ct), sc_ctrl (ct), pt_ctrl (ct), sm_ctrl up (up) and down (down).
create_sm $s owner=$root_pd count=2                     -> SUCCESS
sm_up $s                                                -> SUCCESS
sm_down $s zero                                         -> SUCCESS   # count 3 -> 0
sm_down $s deadline=+1000                               -> TIMEOUT
ec $srv
portal $p ec=$srv {
}
pt_ctrl $p pid=9                                        -> SUCCESS
pt_ctrl $s pid=9                                        -> BAD_CAP   # not a portal
sc_ctrl $root_sc                                        -> SUCCESS
sc_ctrl $s                                              -> BAD_CAP
ec_ctrl $srv                                            -> SUCCESS
ec_ctrl $p                                              -> BAD_CAP
slot $up_only
delegate src=$root_pd dst=$root_pd send=obj:$s/0:0x1 window=obj:$up_only/0 -> SUCCESS crd=obj:$up_only/0:0x1
sm_up $up_only                                          -> SUCCESS
sm_down $up_only deadline=+1000                         -> BAD_CAP   # no down right
slot $no_ct
delegate src=$root_pd dst=$root_pd send=obj:$p/0:0x2 window=obj:$no_ct/0 -> SUCCESS crd=obj:$no_ct/0:0x2
pt_ctrl $no_ct pid=1                                    -> BAD_CAP   # the call right only
call $no_ct                                             -> SUCCESS   # a call checks the type only
