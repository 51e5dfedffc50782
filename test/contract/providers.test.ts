/**
 * The provider contract (test/contract/providerContract.ts), once per registered provider.
 */
import { PROVIDERS } from '../../main/providers/registry';
import { describeProviderContract } from './providerContract';

for (const entry of PROVIDERS) describeProviderContract(entry);
