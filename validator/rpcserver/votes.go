package rpcserver

import "slonui/solana"

// voteFilter is getVoteAccounts' config.
type voteFilter struct {
	vote         *solana.Pubkey
	keepUnstaked bool
	distance     uint64
}

// maxEpochCredits is MAX_RPC_VOTE_ACCOUNT_INFO_EPOCH_CREDITS_HISTORY.
const maxEpochCredits = 5

// splitVoteAccounts applies Agave's delinquency rule at slot: an account is
// current when its last vote is within distance slots of slot (or, while
// slot < distance, when it has voted at all). Unstaked delinquents are
// dropped unless keepUnstaked.
func splitVoteAccounts(accts []VoteAccount, slot uint64, f voteFilter) (current, delinquent []voteAccountJSON) {
	current, delinquent = []voteAccountJSON{}, []voteAccountJSON{}
	for _, a := range accts {
		if f.vote != nil && a.VotePubkey != *f.vote {
			continue
		}
		credits := a.EpochCredits
		if len(credits) > maxEpochCredits {
			credits = credits[len(credits)-maxEpochCredits:]
		}
		j := voteAccountJSON{
			VotePubkey: a.VotePubkey.String(), NodePubkey: a.NodePubkey.String(),
			ActivatedStake: a.ActivatedStake, EpochVoteAccount: a.EpochVoteAccount, Commission: a.Commission,
			LastVote: a.LastVote, EpochCredits: append([][3]uint64{}, credits...), RootSlot: a.RootSlot,
		}
		isCurrent := a.LastVote > 0
		if slot >= f.distance {
			isCurrent = a.LastVote > slot-f.distance
		}
		switch {
		case isCurrent:
			current = append(current, j)
		case a.ActivatedStake > 0 || f.keepUnstaked:
			delinquent = append(delinquent, j)
		}
	}
	return current, delinquent
}
