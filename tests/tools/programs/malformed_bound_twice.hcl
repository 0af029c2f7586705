# A name bound twice.
create_sm $s owner=$root_pd
create_sm $s owner=$root_pd
