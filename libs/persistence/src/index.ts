export * from './data-source';
export * from './entities/lead.entity';
export * from './entities/opportunity.entity';
export * from './entities/campaign.entity';
export * from './entities/lead-opportunity-link.entity';
export * from './entities/dead-letter.entity';
export * from './embedded-postgres';
export * from './data-dir-lock';
