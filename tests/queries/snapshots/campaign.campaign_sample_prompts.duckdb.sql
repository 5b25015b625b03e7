SELECT campaign_prompt_samples.ts, campaign_prompt_samples.account_id, campaign_prompt_samples.model, campaign_prompt_samples.capability, campaign_prompt_samples.template_fp, campaign_prompt_samples.prompt 
FROM campaign_prompt_samples 
WHERE campaign_prompt_samples.run_id = %(run_id_1)s AND campaign_prompt_samples.campaign_id = %(campaign_id_1)s AND campaign_prompt_samples.model = %(model_1)s ORDER BY campaign_prompt_samples.template_calls DESC, campaign_prompt_samples.template_fp, campaign_prompt_samples.ts 
 LIMIT %(param_1)s
