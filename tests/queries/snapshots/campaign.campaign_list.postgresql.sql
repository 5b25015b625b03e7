SELECT campaigns.campaign_id, campaigns.score, campaigns.n_accounts, campaigns.calls 
FROM campaigns 
WHERE campaigns.run_id = %(run_id_1)s::VARCHAR ORDER BY campaigns.score DESC, campaigns.campaign_id 
 LIMIT %(param_1)s::INTEGER
