# Rule: the revoke hypercall never fails: a range with nothing in it, a null CRD or a CRD
# without rights succeed and change nothing ([C14] §3.5).
# Mirrors Revoke_rules.RevokeThroughTheHypercallNeverFails (tests/kernel).
#
# The root (32) holds a semaphore at 70 (up|dn = 0x3).
create_sm 70 owner=32                                         -> SUCCESS
revoke crd=obj:5000/4                                         -> SUCCESS
revoke crd=null                                               -> SUCCESS
revoke crd=mem:0x100/4 self                                   -> SUCCESS
revoke crd=pio:0x0/16 self                                    -> SUCCESS
revoke crd=obj:70/0:0x0 self                                  -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x3

# And one that does something: up (0x1) goes from the root's own copy.
revoke crd=obj:70/0:0x1 self                                  -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x2
