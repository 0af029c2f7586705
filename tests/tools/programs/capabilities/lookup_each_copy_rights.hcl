# Rule: every copy of a capability is a mapping of its own, and lookup shows each with its own
# rights ([C14] §3.5).
# Mirrors Translate_rules.LookupShowsEachCopyWithItsRights (tests/kernel), with the copies in the
# root PD (32), where lookup can see them.
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=32 send=obj:70/0:0x1 window=obj:10/0      -> SUCCESS crd=obj:10/0:0x1
delegate src=32 dst=32 send=obj:70/0 window=obj:11/0          -> SUCCESS crd=obj:11/0
lookup crd=obj:10/0                                           -> SUCCESS crd=obj:10/0:0x1
lookup crd=obj:11/0                                           -> SUCCESS crd=obj:11/0:0x3
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x3

# Both copies name the same semaphore: each translates back to 70, with its own rights.
translate src=32 dst=32 crd=obj:10/0 window=obj:64/3          -> SUCCESS crd=obj:70/0:0x1
translate src=32 dst=32 crd=obj:11/0 window=obj:64/3          -> SUCCESS crd=obj:70/0:0x3
