# A program whose expectations the kernel does not meet: novasim reports each and exits 1.
create_sm 64 owner=32 -> SUCCESS

# The selector is taken now, so this one fails with BAD_CAP, not SUCCESS.
create_sm 64 owner=32 -> SUCCESS
lookup crd=obj:64/0 -> SUCCESS crd=obj:64/0
