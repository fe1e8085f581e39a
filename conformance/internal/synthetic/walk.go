// Package synthetic is the Go twin of Sluice's `synthetic` query type: the
// same query model, the same validation messages and the same deterministic
// data. The conformance tests use it as the oracle for exact content, and the
// reference plugin serves it so that the benchmark compares like with like.
package synthetic

// Walk is the mulberry32-driven random walk that produces the `value` column.
// It must stay bit-for-bit identical to the Node implementation: every step is
// uint32 arithmetic with wraparound, and the float64 conversion happens only at
// the very end of a step.
type Walk struct {
	state uint32
	value float64
}

// StartValue is the level the walk starts from before the first row.
const StartValue = 50.0

// NewWalk starts a walk for the given seed.
func NewWalk(seed uint32) *Walk {
	return &Walk{state: seed, value: StartValue}
}

// Next advances the walk by one row and returns that row's value.
func (w *Walk) Next() float64 {
	w.state += 0x6D2B79F5
	t := (w.state ^ w.state>>15) * (1 | w.state)
	t = (t + (t^t>>7)*(61|t)) ^ t
	u := float64(t^t>>14) / 4294967296.0
	w.value += u - 0.5
	return w.value
}
