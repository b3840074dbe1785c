package chaos_test

import (
	"fmt"

	"slonui/chaos"
)

func ExampleParsePartition() {
	topo := chaos.EqualTopology(10)
	for _, spec := range []string{"7|3", "halves", "isolate:10", "1-3|4-7|8-10", "ring"} {
		p, err := chaos.ParsePartition(topo, spec)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s\n", p.Name, p.Summary(topo))
	}
	_, err := chaos.ParsePartition(topo, "1-3|4-x")
	fmt.Println(err)
	// Output:
	// 7|3: side A 70.0% can confirm; side B 30.0% cannot
	// halves: side A 50.0% — not more than 2/3: no side can confirm
	// isolate 10: side A 90.0% can confirm; side B 10.0% cannot
	// 1-3|4-7|8-10: side B 40.0% — not more than 2/3: no side can confirm
	// majorities-ring: every node hears 60.0% — not more than 2/3: no side can confirm
	// partition "1-3|4-x": "4-x": "x" is not a node number
}
