package chaos

import "slonui/validator/netfault"

func topoRulesWithLoss() netfault.Rules {
	return netfault.Rules{Loss: netfault.LossRule{Fraction: 0.5, Peers: []string{"127.0.0.4"}}}
}
