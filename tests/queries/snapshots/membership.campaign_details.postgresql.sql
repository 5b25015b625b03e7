SELECT campaigns.run_id, campaigns.campaign_id, campaigns.cluster_id, campaigns.score, campaigns.n_accounts, campaigns.n_keys, campaigns.calls, campaigns.output_tokens, campaigns.first_seen, campaigns.last_seen, campaigns.capability_profile, campaigns.indicators, campaigns.reasons 
FROM campaigns 
WHERE campaigns.run_id = %(run_id_1)s::VARCHAR AND campaigns.campaign_id IN (__[POSTCOMPILE_campaign_id_1]) ORDER BY campaigns.campaign_id
