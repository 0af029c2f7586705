# Rule: only a mapping of the receiver that lies inside the receiver's translate window counts;
# with none there, translate gives a null CRD ([C14] §3.4).
# Mirrors Translate_rules.OnlyMappingsInsideTheTranslateWindowCount (tests/kernel).
#
# The chain root (32) 70 -> PD A (64) 10 -> PD B (65) 20.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:10/0          -> SUCCESS crd=obj:10/0
delegate src=64 dst=65 send=obj:10/0 window=obj:20/0          -> SUCCESS crd=obj:20/0

translate src=65 dst=32 crd=obj:20/0 window=obj:64/3          -> SUCCESS crd=obj:70/0:0x3  # 64..71
translate src=65 dst=32 crd=obj:20/0 window=obj:80/3          -> SUCCESS crd=null          # 80..87
translate src=65 dst=32 crd=obj:20/0 window=obj:70/0          -> SUCCESS crd=obj:70/0:0x3
translate src=65 dst=32 crd=obj:20/0 window=obj:71/0          -> SUCCESS crd=null

# A's 10 lies in A's window 8..15, not in 0..7.
translate src=65 dst=64 crd=obj:20/0 window=obj:8/3           -> SUCCESS crd=obj:10/0:0x3
translate src=65 dst=64 crd=obj:20/0 window=obj:0/3           -> SUCCESS crd=null
