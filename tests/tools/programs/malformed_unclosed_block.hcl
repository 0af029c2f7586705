# A handler block that is never closed.
ec $srv cpu=0
portal $pt ec=$srv pid=1 {
    reply words=1
