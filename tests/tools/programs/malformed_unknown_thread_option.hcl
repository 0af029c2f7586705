# A thread option that does not exist.
thread $t cpu=1 prio=2    stack=4096 {
}
