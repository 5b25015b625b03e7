SELECT campaign_usage_hours.model, campaign_usage_hours.phase, sum(campaign_usage_hours.calls) AS exchanges, sum(campaign_usage_hours.input_tokens) AS input_tokens, sum(campaign_usage_hours.output_tokens) AS output_tokens, (SELECT campaign_actions.first_revocation 
FROM campaign_actions 
WHERE campaign_actions.run_id = %(run_id_1)s AND campaign_actions.campaign_id = %(campaign_id_1)s 
 LIMIT %(param_1)s) AS first_action 
FROM campaign_usage_hours 
WHERE campaign_usage_hours.run_id = %(run_id_2)s AND campaign_usage_hours.hour >= %(hour_1)s AND campaign_usage_hours.hour < %(hour_2)s AND campaign_usage_hours.campaign_id = %(campaign_id_2)s AND campaign_usage_hours.model = %(model_1)s GROUP BY campaign_usage_hours.model, campaign_usage_hours.phase ORDER BY campaign_usage_hours.model, campaign_usage_hours.phase
