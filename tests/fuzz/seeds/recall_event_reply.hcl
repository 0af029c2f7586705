# RECALL (ec_ctrl) sends the root, at its next return to user, to its portal at evt + 0x1f
# (the root's event base is 0): an implicit call whose reply writes state back and whose
# delegate items land in an implicit window over all of the root's memory, at the hotspot.
ec $srv
portal 31 ec=$srv {
    reply items=delegate(mem:0x300/0:r,768,kernel)
}
ec_ctrl $root_ec                                        -> SUCCESS   # the event comes on its way out
lookup crd=mem:0x300/0                                  -> SUCCESS crd=mem:0x300/0:r
