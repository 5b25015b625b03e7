SELECT campaign_actions.campaign_id, campaign_actions.first_revocation 
FROM campaign_actions 
WHERE campaign_actions.run_id = %(run_id_1)s::VARCHAR AND campaign_actions.campaign_id = %(campaign_id_1)s::VARCHAR
