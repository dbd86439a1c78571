const { Kafka, CompressionTypes, logLevel } = require('kafkajs');
const kafka = new Kafka({ clientId: 'js-smoke', brokers: [process.argv[2]], logLevel: logLevel.WARN });
const topic = 'js-topic-' + Date.now();
(async () => {
  const admin = kafka.admin(); await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  const md = await admin.fetchTopicMetadata({ topics: [topic] });
  console.log('partitions', md.topics[0].partitions.length);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); await producer.connect();
  for (let i = 0; i < 10; i++) {
    await producer.send({ topic, compression: CompressionTypes.GZIP, acks: -1,
      messages: Array.from({ length: 100 }, (_, j) => ({ key: 'k' + (j % 7), value: 'v' + (i * 100 + j), headers: { h: 'x' } })) });
  }
  console.log('produced 1000');
  const consumer = kafka.consumer({ groupId: topic + '-group' }); await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0; const seen = new Set();
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout, got ' + n)), 30000);
    consumer.run({ eachMessage: async ({ message }) => { n++; seen.add(message.value.toString());
      if (message.headers.h.toString() !== 'x') reject(new Error('header'));
      if (seen.size === 1000) { clearTimeout(t); resolve(); } } });
  });
  console.log('consumed', n, 'distinct', seen.size);
  if (n !== 1000) throw new Error('consumed ' + n + ' records, expected 1000 exactly once');
  await consumer.disconnect();
  const offs2 = await admin.fetchOffsets({ groupId: topic + '-group', topics: [topic] });
  console.log('committed', JSON.stringify(offs2[0].partitions.map(p => p.offset)));
  const lo = await admin.fetchTopicOffsets(topic); console.log('high', JSON.stringify(lo.map(p => p.high)));
  const committed = offs2[0].partitions.map(p => [p.partition, p.offset]).sort().join(';');
  const high = lo.map(p => [p.partition, p.high]).sort().join(';');
  if (committed !== high) throw new Error('committed offsets ' + committed + ' differ from log ends ' + high);
  await admin.deleteTopics({ topics: [topic] }); console.log('deleted');
  await producer.disconnect(); await admin.disconnect();
})().catch(e => { console.error('FAILED', e); process.exit(1); });
