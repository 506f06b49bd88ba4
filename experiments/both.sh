# Sourced by the results' run.sh scripts (from the repository root).
# both FN "ARGS1" "ARGS2": runs FN ARGS1 and FN ARGS2 side by side (each
# ARGS split on spaces) and returns the first failure's exit code once
# both have finished, or 0.
both() {
	f=$1
	$f $2 &
	a=$!
	$f $3 &
	b=$!
	rc=0
	wait $a || rc=$?
	wait $b || rc=$?
	return $rc
}
