export * from './state/stamp';
export * from './state/lead.state';
export * from './state/opportunity.state';
export * from './state/campaign.state';
export * from './metrics';
export * from './definitions/funnel-definition';
