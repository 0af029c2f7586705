# A name used before anything binds it.
create_sm $s owner=$root_pd
sm_up $s ; create_sm $t owner=$nope
